# gcdoctor in a container: built with Rust, run on Debian slim as a non-root user.
# See docs/guide.md#install. Not built by this project's CI (the machine has no Docker engine).
#
#   docker build -t gcdoctor .
#   docker run --rm gcdoctor demo
#   docker run --rm -e GENESYSCLOUD_OAUTHCLIENT_ID -e GENESYSCLOUD_OAUTHCLIENT_SECRET \
#     -e GENESYSCLOUD_REGION gcdoctor diagnose

FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin gcdoctor

FROM debian:bookworm-slim
# CA certificates: gcdoctor verifies the TLS certificates of the Genesys Cloud hosts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 gcdoctor \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/gcdoctor \
      --shell /usr/sbin/nologin gcdoctor
COPY --from=build /src/target/release/gcdoctor /usr/local/bin/gcdoctor
USER 10001:10001
WORKDIR /home/gcdoctor
ENTRYPOINT ["gcdoctor"]
CMD ["--help"]
