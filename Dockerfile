# The image of every Dagster task on ECS (infra/modules/dagster): the webserver, the daemon and
# the runs the daemon launches. tests/infra/test_dockerfile.py checks it against the checkout
# and the task definitions (it is not built in CI).
#
# bookworm, not the default slim tag: Debian 13 ships no Java 17, which PySpark 3.5 needs for
# parity with Glue 5 (Spark 3.5, Python 3.11, Java 17).
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    DAGSTER_HOME=/opt/dagster/home

RUN useradd --create-home --uid 1000 dagster

# The definitions load from a source tree (pyproject.toml above the package; ecom_dbt beside
# it), so the package is installed editable in place rather than as a wheel.
WORKDIR /app
COPY pyproject.toml README.md workspace.yaml ./
COPY ecom_platform ./ecom_platform
COPY ecom_dbt ./ecom_dbt
RUN pip install --no-cache-dir -e . && chown -R dagster /app

COPY deploy/dagster.prod.yaml /opt/dagster/home/dagster.yaml
RUN chown -R dagster /opt/dagster/home

USER dagster
EXPOSE 3000
# The webserver's command; the daemon's task definition gives its own (no ENTRYPOINT, so a
# task's `command` is the whole command line).
CMD ["dagster-webserver", "-h", "0.0.0.0", "-p", "3000", "-w", "workspace.yaml"]
