# Hegui production image: gunicorn web, Celery worker and beat all run from it.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 HEGUI_ENV=production
# WeasyPrint needs Pango and HarfBuzz; Noto CJK gives PDFs their Chinese glyphs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 hegui
WORKDIR /app
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt
COPY --from=assets /app/node_modules node_modules
COPY . .
RUN python manage.py compile_translations \
 && SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:///:memory: \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/private /app/var/beat && chown -R hegui /app/var
USER hegui
EXPOSE 8000
# gunicorn honours X-Forwarded-Proto only from TRUSTED_PROXIES (default: loopback).
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile - --forwarded-allow-ips \"${TRUSTED_PROXIES:-127.0.0.1,::1}\""]
