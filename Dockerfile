# One image for every process: web (gunicorn, the default command), the Celery worker, Celery
# beat and the one-off migrate job. docker-compose.yml chooses the command; nothing else differs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

# The app runs as this unprivileged user; the source stays owned by root, so it cannot be changed
# by the running app.
RUN groupadd --system --gid 10001 convening \
    && useradd --system --uid 10001 --gid convening --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin convening

# Dependencies first, from the runtime lock alone, so this layer is rebuilt only when the
# dependencies change, not on every source edit: exactly the versions `make run` and the tests
# use, each file checked against its hash, and no dev extras (requirements/dev.txt).
# The project itself is not installed into site-packages: it runs from /app (PYTHONPATH), because
# settings find templates/ and static/ next to the packages, and [tool.setuptools] packages
# lists only the top-level packages (a wheel of the project would have no migrations).
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes --requirement requirements/runtime.txt

COPY . .

# Static files are collected at build time (WhiteNoise's compressed manifest storage needs
# DEBUG off). The secret key exists only for this one command and is never stored in the image.
# The collected files (staticfiles/) stay read-only; var/ (the SQLite fallback) is writable by
# the app user.
RUN SECRET_KEY=build-only-throwaway-key-for-collectstatic-never-used-at-run-time DEBUG=0 \
    python manage.py collectstatic --noinput \
    && mkdir -p var \
    && chown convening:convening var

USER convening

EXPOSE 8000

# /healthz checks the database and the cache. Django only answers a Host it is configured to
# allow, so the check uses the first ALLOWED_HOSTS entry (localhost when none is set).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); host = 'localhost' if host in ('', '*') else host; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"]

# sh -c so ${WEB_CONCURRENCY} is expanded; exec so gunicorn is PID 1 and gets SIGTERM directly.
CMD ["sh", "-c", "exec gunicorn convening.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
