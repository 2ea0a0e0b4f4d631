# ssf-lab: the lab — mock Okta, Jamf Pro, Jamf Security Cloud and three apps, configured as at the end of
# the seed's set-up — as a container running `ssf-lab serve`. See docs/container.md.
#
#   docker build -t ssf-lab .
#   docker run --rm -p 4400-4406:4400-4406 ssf-lab        # the manifest is the JSON line on stdout
#
# BASE_IMAGE needs Node.js 20.19 or later with npm, and /bin/sh; the RUN steps use nothing else, so a
# minimal image works as well as the official one.
ARG BASE_IMAGE=node:22-slim
# Where the installed package comes from: the `build` stage below (the default: these sources, with the
# npm registry), or an image that holds it at /opt/ssf-lab — a build without network access, from a
# package packed and installed elsewhere (docs/container.md). With BuildKit the unused stage is skipped.
ARG SSF_LAB_PACKAGE=build

# ——— 1. build: compile, pack as npm would publish it, install that package with run-time deps only ———
FROM ${BASE_IMAGE} AS build
WORKDIR /src
# The dependency layer first: a change to the sources alone reuses it. No scripts: nothing to build yet.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `npm pack` runs the package's build script (tsc -p tsconfig.json) first, so dist/ is built from these
# sources. The image holds exactly what the package ships; the dev dependencies stay in this stage.
RUN npm pack --pack-destination /tmp --silent
WORKDIR /opt/ssf-lab
# --prefer-offline: every run-time dependency is already in npm's cache from `npm ci` above.
RUN echo '{"private": true}' > package.json \
 && npm install --omit=dev --prefer-offline --no-audit --no-fund /tmp/ssf-lab-*.tgz

FROM ${SSF_LAB_PACKAGE} AS package

# ——— 2. run: the package, as a user without privileges ———
FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    PATH=/opt/ssf-lab/node_modules/.bin:$PATH \
    SSF_LAB_HOST=0.0.0.0 \
    SSF_LAB_PORT=4400
COPY --from=package /opt/ssf-lab /opt/ssf-lab
# Any unprivileged uid works (the lab writes nothing unless --manifest names a file); 1000 is the `node`
# user of the official images. Numeric, so that a base image without that user works too.
USER 1000:1000
WORKDIR /tmp
# Okta, Jamf Pro, Jamf Security Cloud, Salesforce, Google Workspace, Office 365 — with the default
# SSF_LAB_PORT, and the console on BASE+6. Publish them one to one (-p 4400-4406:4400-4406): the URLs the
# lab advertises carry them.
EXPOSE 4400-4406
# Healthy once the seed's set-up is done and the manifest printed (GET /_lab/ready answers 200). It probes
# SSF_LAB_PORT on loopback: choose the ports with that variable, not with --port. Over https (plain http
# with SSF_LAB_HTTP=1) without verifying the certificate: it asks the container's own process on loopback
# for a status code and sends nothing, and the lab's CA is new each run (every client of the lab verifies).
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "const plain = /^(1|true|yes)$/i.test(process.env.SSF_LAB_HTTP ?? ''); require(plain ? 'node:http' : 'node:https').get({ host: '127.0.0.1', port: process.env.SSF_LAB_PORT, path: '/_lab/ready', rejectUnauthorized: false, timeout: 2000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).on('timeout', () => process.exit(1))"]
ENTRYPOINT ["ssf-lab", "serve"]
