#!/usr/bin/env bash
# compose/secure/make-secrets.sh [DIR]: everything docker-compose.secure.yml mounts, made fresh:
#   DIR/certs/ca.pem                  a CA for this cluster; its key goes to DIR-ca/ca.key, outside
#                                     what the containers mount (keep it; it signs new certificates)
#   DIR/certs/server.pem, server.key  one certificate for the nameservers and brokers (their service
#                                     names, localhost and 127.0.0.1)
#   DIR/tls.properties                RocketMQ's TLS keys: enforcing, checked against the CA
#   DIR/conf/plain_acl.yml            three accounts with random secrets: rocketcluster-broker (admin;
#                                     brokers sign registration and replication with it),
#                                     rocketcluster-admin (admin; for mqadmin) and
#                                     rocketcluster-app (publish and subscribe)
#   DIR/conf/tools.yml                rocketcluster-admin's keys, where mqadmin looks ($ROCKETMQ_HOME/conf/tools.yml)
#   DIR/broker.env                    RC_BROKER_ACCESS_KEY/RC_BROKER_SECRET_KEY for the brokers
#   DIR/client.env                    ROCKETMQ_ACCESS_KEY/ROCKETMQ_SECRET_KEY of rocketcluster-app, for applications
# DIR defaults to compose/secure/local (git-ignored). Needs openssl. Refuses to overwrite an existing DIR.
# The files hold secrets: on a shared host, limit who can read DIR (the containers run as uid 1000).
set -euo pipefail
DIR="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/local}"
DAYS="${RC_CERT_DAYS:-825}"
if [ -e "$DIR/tls.properties" ] || [ -e "$DIR/conf/plain_acl.yml" ]; then
  echo "make-secrets.sh: $DIR already has secrets; remove it first to make new ones" >&2
  exit 1
fi
command -v openssl >/dev/null || { echo "make-secrets.sh: openssl is needed" >&2; exit 1; }
mkdir -p "$DIR/certs" "$DIR/conf" "$DIR-ca"
chmod 0700 "$DIR-ca"
CA_KEY="$(cd "$DIR-ca" && pwd)/ca.key"
cd "$DIR"
secret() { openssl rand -hex 16; }
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${ec[@]}" -keyout "$CA_KEY" -out certs/ca.pem -days "$DAYS" \
  -subj "/CN=RocketCluster compose CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new "${ec[@]}" -keyout certs/server.key -out certs/server.csr -subj "/CN=rocketcluster" 2>/dev/null
cat > certs/server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:namesrv-1,DNS:namesrv-2,DNS:broker-a-master,DNS:broker-a-slave,DNS:localhost,IP:127.0.0.1
EXT
openssl x509 -req -in certs/server.csr -CA certs/ca.pem -CAkey "$CA_KEY" -CAcreateserial \
  -out certs/server.pem -days "$DAYS" -extfile certs/server.ext 2>/dev/null
rm -f certs/server.csr certs/server.ext certs/ca.srl

cat > tls.properties <<TLS
# RocketMQ's TLS keys (docs/tls.md), read from /etc/rocketmq/tls.properties by every server
tls.server.mode=enforcing
tls.server.certPath=/etc/rocketmq/certs/server.pem
tls.server.keyPath=/etc/rocketmq/certs/server.key
tls.server.trustCertPath=/etc/rocketmq/certs/ca.pem
tls.server.need.client.auth=optional
tls.client.trustCertPath=/etc/rocketmq/certs/ca.pem
TLS

BROKER_SECRET=$(secret)
ADMIN_SECRET=$(secret)
APP_SECRET=$(secret)
cat > conf/plain_acl.yml <<ACL
# made by compose/secure/make-secrets.sh; edits apply within a second, without a restart
globalWhiteRemoteAddresses: []
accounts:
  - accessKey: rocketcluster-broker
    secretKey: $BROKER_SECRET
    admin: true
  - accessKey: rocketcluster-admin
    secretKey: $ADMIN_SECRET
    admin: true
  - accessKey: rocketcluster-app
    secretKey: $APP_SECRET
    admin: false
    defaultTopicPerm: PUB|SUB
    defaultGroupPerm: SUB
ACL
printf 'accessKey: rocketcluster-admin\nsecretKey: %s\n' "$ADMIN_SECRET" > conf/tools.yml
printf 'RC_BROKER_ACCESS_KEY=rocketcluster-broker\nRC_BROKER_SECRET_KEY=%s\n' "$BROKER_SECRET" > broker.env
printf 'ROCKETMQ_ACCESS_KEY=rocketcluster-app\nROCKETMQ_SECRET_KEY=%s\n' "$APP_SECRET" > client.env
# the containers run as uid 1000, which must read these; ca.key stays with whoever ran this script
chmod 0755 . certs conf
chmod 0644 certs/ca.pem certs/server.pem certs/server.key tls.properties conf/plain_acl.yml conf/tools.yml broker.env client.env
chmod 0600 "$CA_KEY"
echo "secrets in $DIR: applications use the keys in client.env, mqadmin those in conf/tools.yml, and both trust certs/ca.pem"
