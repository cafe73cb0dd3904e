# Bounceback in a container: a slim Python, a non-root user, everything it keeps in /data.
#
#   docker build -t bounceback .
#   docker run -d --name bounceback -e DISCORD_TOKEN=... -v bounceback-data:/data bounceback
#
# Settings: the image reads /etc/bounceback/config.yaml (deploy/docker-config.yaml,
# which keeps the database and its secret in /data). Mount your own file over it, or
# point BOUNCEBACK_CONFIG at another mounted file; keep `database.path` inside /data.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE config.example.yaml ./
COPY bot ./bot
COPY discord_sandbox ./discord_sandbox
COPY content ./content
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BOUNCEBACK_CONFIG=/etc/bounceback/config.yaml
RUN groupadd --system --gid 10001 bounceback \
    && useradd --system --uid 10001 --gid bounceback --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin bounceback \
    && mkdir -p /data \
    && chown bounceback:bounceback /data \
    && chmod 0700 /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY deploy/docker-config.yaml /etc/bounceback/config.yaml
USER bounceback
WORKDIR /data
VOLUME ["/data"]
# `bounceback run` stops cleanly on SIGTERM (what `docker stop` sends).
STOPSIGNAL SIGTERM
CMD ["bounceback", "run"]
