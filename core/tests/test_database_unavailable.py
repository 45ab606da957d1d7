"""A middleware that fails on the database (here the redirects lookup of a 404) answers with
the 503 page like a view would (``core.middleware.server_error``, Django's 500 handler); the
outage itself is tested in ``test_production_outages.py``."""

from django.db import OperationalError, connection

import pytest

pytestmark = pytest.mark.django_db


def test_a_middleware_that_loses_the_database_answers_with_the_503_page(client, place):
    def refused(execute, sql, params, many, context):
        if "wagtailredirects_redirect" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(refused):
        response = client.get("/api/v2/gibt-es-nicht/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    # The middleware outside the failing one still adds its headers.
    assert response["X-Content-Type-Options"] == "nosniff"
