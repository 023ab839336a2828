"""schemathesis against /openapi.json: generated requests to every API operation never get a
server error, and every response matches what the schema documents — on each backend."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from medcite.articles.accounts import add_user
from medcite.articles.model import Role
from medcite.web.app import create_app
from tests.conftest import PASSWORD, AnyStore, web_settings

EXAMPLES = 10  # per operation: asks run the whole answer engine


def test_every_api_operation_against_its_schema(demo_store: AnyStore, tmp_path: Path) -> None:
    app = create_app(web_settings(demo_store, tmp_path))
    try:
        _check_every_operation(app)
    finally:
        app.state.site.close()


def _check_every_operation(app: FastAPI) -> None:
    add_user(app.state.site.articles, "alice", PASSWORD, Role.ADMIN)
    app.state.site.ask("Can vitamin B12 deficiency cause leukopenia?", client="seed")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tested.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            # A schema-valid question can still be unanswerable ("   ", control characters):
            # that is a documented 400 with a stable code, not a failure.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
    assert len(tested) >= 6, tested
