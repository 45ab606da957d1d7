"""Structured logs for production: one JSON object per line (python-json-logger).

Every record carries ``time``, ``level``, ``logger`` and ``message``; exceptions add
``exc_info`` as text. Request records from Django add ``status_code`` and the request path
(never the query string, which may hold personal data from the application form).
"""

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter


class JsonFormatter(_BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        # Django attaches the request object; it is not serialisable and may hold personal data.
        request = record.__dict__.pop("request", None)
        super().add_fields(log_record, record, message_dict)
        log_record.pop("request", None)
        if request is not None:
            log_record["method"] = getattr(request, "method", None)
            log_record["path"] = getattr(request, "path", None)
        server_time = log_record.pop("server_time", None)
        if server_time and "time" not in log_record:
            log_record["time"] = server_time


class CacheOutageFilter:
    """django-redis logs every failed cache call with a traceback while Redis is down
    (``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS``). Keep one warning line per call instead:
    the outage is expected and handled (the site runs without cache)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "__cause__", None) or error
        record.msg = "cache unavailable, serving without cache: %s"
        record.args = (str(cause).splitlines()[0] if cause else "unknown error",)
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = 30, "WARNING"
        return True
