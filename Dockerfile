# Kreativorte im Grünen – production image (docs/deployment.md).
# Multi-stage: build wheels with the full toolchain, run on a slim image as a non-root user.
# Static files are collected (hashed, compressed) at build time; migrations are NOT run by CMD
# (run `docker run … python manage.py migrate` once per release, before starting the new
# containers).

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY cms cms
COPY core core
COPY home home
COPY places places
COPY regions regions
COPY applications applications
COPY staticsite staticsite
# Dependencies only: the project itself runs from /app (templates and static files are read
# relative to the source tree).
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --upgrade pip \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall -y kreativorte

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/srv/media \
    APPLICATIONS_PRIVATE_ROOT=/srv/private-media \
    PORT=8000
# postgresql-client: pg_dump/pg_restore for `manage.py backup`/`restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system app && useradd --system --gid app --home /app app \
    && mkdir -p /srv/media /srv/private-media && chown app:app /srv/media /srv/private-media
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app . .
# collectstatic needs settings, not secrets: a throw-away key for this one command.
RUN SECRET_KEY=collectstatic-only-$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    python manage.py collectstatic --noinput -v 0
USER app
EXPOSE 8000
# /healthz over plain HTTP is exempt from the HTTPS redirect; the Host must be an allowed one.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:%s/healthz' % os.environ['PORT'], headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0]}), timeout=4)"
CMD ["sh", "-c", "exec gunicorn cms.wsgi:application --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-4} --threads ${GUNICORN_THREADS:-4} --timeout 30 --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 --access-logfile - --forwarded-allow-ips '*'"]
