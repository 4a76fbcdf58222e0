# The user-code image: the pipeline's code location, served by `dagster api grpc` on port 3030
# (the Dagster Helm chart's user-code deployment runs it; see docs/deploy.md and
# deploy/helm/values.yaml). The same image runs each launched run's pod (K8sRunLauncher).
#
#   docker build -t registry.example.com/akeneo-pipeline:0.1.0 .
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DAGSTER_HOME=/opt/dagster/dagster_home

WORKDIR /opt/dagster/app
COPY pyproject.toml README.md ./
COPY akeneo_pipeline ./akeneo_pipeline
COPY dbt ./dbt
COPY workspace.yaml ./

# Editable, so the code finds dbt/ beside the package (akeneo_pipeline/defs/dbt.py); with the
# k8s extra, which brings dagster-k8s for the run pods.
RUN pip install -e '.[k8s]' \
    && mkdir -p "$DAGSTER_HOME"

# dbt's manifest built into the image: loading the definitions in a pod parses nothing.
RUN dagster-dbt project prepare-and-package --file akeneo_pipeline/defs/dbt.py \
    && test -f dbt/target/manifest.json

# Settings (AKENEO_*, WAREHOUSE_URL, ...) come from the environment: a Kubernetes Secret, never the image.
EXPOSE 3030
CMD ["dagster", "api", "grpc", "-h", "0.0.0.0", "-p", "3030", "-m", "akeneo_pipeline.definitions"]
