"""The log formats, shared by Django's LOGGING (settings.py) and gunicorn's (gunicorn.conf.py):
one JSON object a line (time, level, logger, message and any extra fields) for a log
collector, or plain text for people. No Django here: gunicorn reads it before the app loads."""

FORMATTERS = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
    "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
}
