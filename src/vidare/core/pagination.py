"""API paging (the REST_FRAMEWORK default). Its own module: DRF imports it while its own
generics module is still loading, so it must not import the rest of the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class Pagination(LimitOffsetPagination):
    """limit/offset paging whose parameters are validated like any other: a limit above
    max_limit or a non-number is a 400 naming the parameter, never silently replaced, and
    never a number large enough to overflow the database's OFFSET/LIMIT."""

    max_limit = 500
    max_offset = 2**31

    def _parameter(self, request: Request, name: str, default: int, *,
                   minimum: int, maximum: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        field = serializers.IntegerField(min_value=minimum, max_value=maximum)
        try:
            return int(field.run_validation(raw))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from exc

    def get_limit(self, request: Request) -> int:
        return self._parameter(request, self.limit_query_param, int(self.default_limit or 50),
                               minimum=1, maximum=self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._parameter(request, self.offset_query_param, 0,
                               minimum=0, maximum=self.max_offset)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, self.max_limit),
                  self.offset_query_param: (0, self.max_offset)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high)
        return parameters
