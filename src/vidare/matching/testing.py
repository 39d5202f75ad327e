"""Matching's part of the matrix walker's world (vidare.core.testing).

Two vacancies every case participant matches (open to all, no requirements): one lists the
candidates and holds a proposal per case (`Case.proposal`), the other takes the proposals
the walker creates. Each case is proposed by a user who may match them (the broker at the
own centre, the other centre's coach for the other case).
"""

from __future__ import annotations

from typing import Any

# API lists whose rows name the listed record by another key than "id":
# target -> (the case's record, the key in each row).
LISTED_KEYS = {
    "GET /api/v1/vacancies/{id}/candidates/": ("participant", "participant"),
}


def matching_records(world: Any) -> None:
    from vidare.access.matrix import Relation
    from vidare.access.roles import Role
    from vidare.vacancies.actions import create_vacancy

    from .actions import propose

    broker = world.user(Role.JOBBMAKLARE)
    employer = world.records["employer"]
    for name, title in (("open_vacancy", "Lokalvårdare, alla välkomna"),
                        ("second_vacancy", "Kökshjälp, alla välkomna")):
        world.records[name] = create_vacancy(actor=broker, employer=employer, title=title,
                                             occupation="9111", open_to_all=True)
    for relation, case in world.cases.items():
        actor = world.other_coach if relation == Relation.OTHER else broker
        case.proposal = propose(actor=actor, vacancy=world.records["open_vacancy"],
                                participants=[case.participant], today=world.today)[0]


def matching_payloads(world: Any, case: Any) -> dict[str, dict[str, Any]]:
    """Valid bodies for matching's writes (see MatrixWalker.payload)."""
    day = world.today.isoformat()
    return {
        "POST /api/v1/proposals/": {"vacancy": world.records["second_vacancy"].pk,
                                    "participant": case.participant.pk},
        "POST /api/v1/proposals/{id}/outcome/": {"status": "presenterad", "on": day},
    }
