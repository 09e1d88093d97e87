# Production image of the MVA enquiry bot.
#
#   docker build -t mva-enquiry-bot .
#   docker run -d --name mva-bot -v mva-bot-data:/data \
#       -e TELEGRAM_BOT_TOKEN=... -e STAFF_CHAT_ID=... mva-enquiry-bot
#
# With podman, build with `podman build --format docker -t mva-enquiry-bot .`: podman's
# default OCI image format has no HEALTHCHECK, so podman would warn and ignore it.
#
# Two stages: the builder installs the bot into a virtualenv at /opt/venv; the final
# image gets only that venv and knowledge/ (no source tree, build tools or pip cache).
# The install commands live in scripts/install-app.sh, which tests/test_image_like_venv.py
# runs exactly as the RUN lines below do.

# Both stages must use the same interpreter: the venv's python is a symlink to the base
# image's /usr/local/bin/python3.11. The base is pinned by digest, so two builds a month
# apart start from the same image. To refresh it (security updates of the base), read the
# current digest of the multi-platform tag and replace the one below:
#   docker buildx imagetools inspect python:3.11-slim-bookworm --format '{{json .Manifest.Digest}}'
#   (or: skopeo inspect --format '{{.Digest}}' docker://docker.io/library/python:3.11-slim-bookworm)
# then rebuild and run the tests; `--build-arg PYTHON_IMAGE=python:3.11-slim-bookworm`
# builds from the tag's current image instead.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:2e32f7d302adc1c37428355c1e646897c0c53f4fd60b6a551245fb90ee129f91

FROM ${PYTHON_IMAGE} AS builder
WORKDIR /src
# Layer caching: the dependencies are installed from requirements.lock ALONE (exact
# versions, hashes checked), before any source is copied, so editing bot/, knowledge/ or
# README.md reuses this layer and only the short `app` step below reruns. (`COPY
# pyproject.toml bot` + `pip install .` would reinstall every dependency on every source
# change, and resolve pyproject.toml's ranges anew each time.) Every dependency has a wheel
# for CPython 3.11 on amd64 and arm64, so no compiler is needed.
COPY requirements.lock ./
COPY scripts/install-app.sh ./scripts/
RUN sh scripts/install-app.sh deps /opt/venv
# The project itself: a regular (non-editable) install with --no-deps; README.md is the
# package's readme in pyproject.toml, so the build needs it.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN sh scripts/install-app.sh app /opt/venv

FROM ${PYTHON_IMAGE}
# A fixed, unprivileged uid/gid so /data's ownership is predictable on the host
# (a bind-mounted folder must be writable by uid 10001). -l (--no-log-init) keeps a high
# uid from bloating /var/log/lastlog and faillog (hadolint DL3046).
RUN groupadd --gid 10001 bot \
    && useradd -l --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin bot \
    && mkdir /data \
    && chown 10001:10001 /data
# The venv at the same path as in the builder (a venv is not relocatable) and the
# knowledge base, both owned by root and read-only for the bot. The installed package's
# default knowledge folder would sit inside site-packages, where there is none, hence
# KNOWLEDGE_DIR.
COPY --from=builder /opt/venv /opt/venv
COPY knowledge /app/knowledge
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BOT_DATA_DIR=/data \
    KNOWLEDGE_DIR=/app/knowledge \
    HEALTH_PORT=8080
WORKDIR /app
USER 10001:10001
# The SQLite database; it migrates itself when the bot starts.
VOLUME ["/data"]
# 8080: health endpoint (HEALTH_PORT, GET /health); 8443: webhook (LISTEN_PORT) when the
# bot runs with a webhook instead of long polling.
EXPOSE 8080 8443
# /health answers 200 when the database and the knowledge base are OK; urlopen raises
# (exit 1) on any other status, a refused connection or a timeout. Python, not curl: the
# slim image has no curl. Exec form (hadolint DL3025), so Python reads the port itself:
# $HEALTH_PORT, default 8080. HEALTH_PORT=0 turns the endpoint off, and the check passes
# (there is nothing to ask) instead of marking the container unhealthy for ever.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = (os.environ.get('HEALTH_PORT') or '8080').strip(); sys.exit(0 if port.lstrip('0') == '' else urllib.request.urlopen(f'http://127.0.0.1:{port}/health', timeout=4).status != 200)"]
CMD ["python", "-m", "bot", "run"]
