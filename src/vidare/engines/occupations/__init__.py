"""Occupations engine: free-text job title → SSYK 2012 unit groups, and related occupations.

Pure Python with NumPy, SciPy, scikit-learn, bm25s, snowballstemmer and rapidfuzz; no Django.
``vidare.codelists.services`` wraps it for the web, the API and the command line.
"""

from .data import (
    JobTitle,
    OccupationGroup,
    OccupationName,
    Taxonomy,
    TaxonomyFileError,
    read_taxonomy,
)
from .mapper import MapperSettings, OccupationMapper, Suggestion

__all__ = [
    "JobTitle",
    "MapperSettings",
    "OccupationGroup",
    "OccupationMapper",
    "OccupationName",
    "Suggestion",
    "Taxonomy",
    "TaxonomyFileError",
    "read_taxonomy",
]
