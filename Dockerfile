# retention-auditor in a container: Debian's Chromium, the auditor, a non-root user.
#
#   docker build -t retention-auditor .
#   docker run --rm --shm-size=1g -v "$PWD:/work" -v "$PWD/reports:/reports" retention-auditor
#
# audits from /work/auditor.yaml (the repository mounted there) and writes the reports into /reports. Arguments
# after the image name go to `auditor audit` (spec files, --rules, --fail-on ...). Another command:
#   docker run --rm --shm-size=1g -v "$PWD/reports:/reports" --entrypoint auditor retention-auditor demo --out /reports/demo
# Chromium keeps its renderers' shared memory in /dev/shm, whose 64 MB default is too small: hence --shm-size.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

ARG DEBIAN_FRONTEND=noninteractive
# libatomic1: Playwright's bundled node needs it, and bookworm-slim lacks it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        chromium fonts-liberation fonts-dejavu-core python3 python3-venv ca-certificates libatomic1 \
    && rm -rf /var/lib/apt/lists/*

# The package alone: tests, benchmarks and docs stay out of the image.
COPY pyproject.toml README.md LICENSE /src/
COPY auditor /src/auditor
RUN python3 -m venv /opt/auditor \
    && /opt/auditor/bin/pip install --no-cache-dir --disable-pip-version-check /src \
    && rm -rf /src

ENV PATH=/opt/auditor/bin:$PATH \
    AUDITOR_CHROMIUM=/usr/bin/chromium \
    PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin auditor \
    && mkdir -p /reports /work && chown auditor:auditor /reports /work
USER auditor
WORKDIR /work
VOLUME ["/reports"]
ENTRYPOINT ["auditor", "audit", "--out", "/reports"]
