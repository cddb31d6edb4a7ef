# The same app as `make run`: Coventry's configuration, SQLite under /srv/carezones/var
# unless CAREZONES_DATABASE_URL points at PostgreSQL.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CAREZONES_DATABASE_URL=sqlite:////srv/carezones/var/carezones.db
WORKDIR /srv/carezones
COPY pyproject.toml README.md ./
COPY app app
COPY geo geo
COPY routing routing
COPY data data
RUN pip install --no-cache-dir -e . \
 && useradd --system --home-dir /srv/carezones carezones \
 && mkdir -p var \
 && chown carezones var
COPY --from=assets /src/node_modules node_modules
USER carezones
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "carezones db upgrade && exec uvicorn app.main:app --host 0.0.0.0 --port 8000"]
