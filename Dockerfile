# Minimal image; the production issue adds the multi-stage build, non-root user and
# health check.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir .
ENV BOT_DATA_DIR=/data KNOWLEDGE_DIR=/app/knowledge
VOLUME /data
CMD ["python", "-m", "bot", "run"]
