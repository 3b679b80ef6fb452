# The slurmbench image: one entry point (the slurmbench CLI) for benchmarks, load tests, the mock
# slurmrestd and the reference exporter. The base is a Debian trixie root built from Debian's
# archive (deploy/container/build-base.sh), whose nodejs is 20.19; no registry image is needed.
#
#   deploy/container/build-base.sh && deploy/container/build-image.sh
ARG BASE_IMAGE=localhost/debian:trixie-slim

# --- build: all dependencies, the compiled package, then only production dependencies ------------
FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm python3 make g++ libnode-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# A CA bundle for the npm registry when the build's egress re-signs TLS (build-image.sh mounts it).
ARG NODE_EXTRA_CA_CERTS
# re2 builds from source here: its prebuilt binaries come from GitHub, which a build may not reach,
# against the headers of libnode-dev (nodedir), not headers downloaded from nodejs.org.
ENV DEVELOPMENT_SKIP_GETTING_ASSET=1 npm_config_nodedir=/usr npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --prefer-offline --foreground-scripts \
 && node -e "new (require('re2'))('a+').test('aa') || process.exit(1)"
COPY . .
# re2 keeps only its addon: its compiler's intermediates and vendored sources are ~90 MB. npm
# prune leaves the scope folders of the packages it removed, empty.
RUN npm run build \
 && npm prune --omit=dev \
 && find node_modules -mindepth 1 -maxdepth 1 -type d -name '@*' -empty -delete \
 && rm -rf node_modules/.cache node_modules/re2/build/Release/obj.target node_modules/re2/build/Release/.deps node_modules/re2/vendor \
 && node -e "new (require('re2'))('a+').test('aa') || process.exit(1)"

# --- runtime: node, the compiled CLI, production dependencies, the benchmark suites -------------
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin slurmbench \
 && mkdir -p /results \
 && chown slurmbench:slurmbench /results
WORKDIR /opt/slurmbench
# No harness/ sources: bin/slurmbench.js then runs the compiled dist/. The benchmark suites and the
# testbed and common sources they import stay, since `bench` bundles them with esbuild at run time.
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/common ./common
COPY --from=build /src/testbed ./testbed
COPY --from=build /src/benchmarks ./benchmarks
COPY --from=build /src/baselines ./baselines
RUN ln -s /opt/slurmbench/bin/slurmbench.js /usr/local/bin/slurmbench
# Benchmark bundles are cached under dist/node_modules/.cache, the testbed's child servers under
# node_modules/.cache; with a read-only root filesystem, mount writable volumes there
# (deploy/kubernetes does).
RUN mkdir -p dist/node_modules/.cache node_modules/.cache \
 && chown slurmbench:slurmbench dist/node_modules/.cache node_modules/.cache
ENV NODE_ENV=production
USER 10001:10001
ENTRYPOINT ["node", "/opt/slurmbench/bin/slurmbench.js"]
CMD ["help"]
