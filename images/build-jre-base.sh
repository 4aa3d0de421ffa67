#!/bin/bash
# Offline Java 17 base image for the RocketCluster images: no registry, no network.
#   jlink'd runtime from the local Debian JDK 17 (openjdk-17-jdk-headless ships jmods)
#   + glibc / libgcc / libstdc++ / zlib copied from the host's installed packages (dpkg -L)
#   + /etc/passwd (uid 1000 "rocketcluster"), /etc/group, /etc/nsswitch.conf, /tmp (1777)
# The result is a distroless-like image (no shell, no package manager) that Jib builds on with
#   mvn -Pimages package -Dimage.base=docker://local/jre17:1
# Usage: images/build-jre-base.sh [image-name]   (default local/jre17:1)
# Env: JDK (default /usr/lib/jvm/java-17-openjdk-amd64), MODULES (jlink module list), OUT_TAR (also
# write a docker-save tarball, e.g. for Jib's tar:// base on a machine without a daemon).
# Measured on the CI machine: 7-12 s per build; the base image's size is in README.md (Containers).
set -euo pipefail
NAME=${1:-local/jre17:1}
JDK=${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
# jdeps over broker, nameserver and the official client: base, desktop (java.beans, which log4j-core
# needs), logging, management (JMX, metrics),
# naming (log4j JNDI lookup classes, client DNS), sql (fastjson), xml (log4j config), unsupported
# (Netty), jfr/jcmd/attach for diagnostics (docker exec <ctr> jcmd 1 ...)
MODULES=${MODULES:-java.base,java.desktop,java.logging,java.management,java.naming,java.xml,java.sql,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.zipfs,jdk.jfr,jdk.jcmd,jdk.attach,jdk.httpserver,java.net.http}
[ -f "$JDK/jmods/java.base.jmod" ] || { echo "no jmods in $JDK (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
W=$(mktemp -d /tmp/jre-base.XXXXXX)
trap 'umount "$W/rootfs/proc" 2>/dev/null || true; rm -rf --one-file-system "$W"' EXIT
R=$W/rootfs; mkdir -p "$R"
# 1. the libraries the JVM needs (ldd libjvm.so: libc, libm, libstdc++, libgcc_s; libzip: libz); merged /usr
mkdir -p "$R/usr/lib" "$R/usr/lib64" "$R/usr/bin" "$R/usr/sbin"
ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"; ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"
for pkg in libc6 libgcc-s1 libstdc++6 zlib1g; do dpkg -L "$pkg"; done |
  grep -vE '^/usr/share/(doc|lintian|locale|gdb|gcc)|/gconv/|^/usr/libexec|^/etc/ld.so.conf' | sort -u |
while read -r f; do
  [ -d "$f" ] && [ ! -L "$f" ] && continue
  { [ -L "$f" ] || [ -f "$f" ]; } || continue
  d=$(readlink -f "$(dirname "$f")"); mkdir -p "$R$d"; cp -a "$f" "$R$d/"
done
# 2. the Java runtime, with a CDS archive of the JDK classes
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive --output "$R/opt/java"
# 3. minimal /etc, /tmp (Netty extracts its epoll library there), a home for uid 1000
mkdir -p "$R/etc" "$R/tmp" "$R/home/rocketcluster"; chmod 1777 "$R/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nrocketcluster:x:1000:0:rocketcluster:/home/rocketcluster:/sbin/nologin\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
printf 'hosts: files dns\n' > "$R/etc/nsswitch.conf"
chown 1000:0 "$R/home/rocketcluster"; chmod 775 "$R/home/rocketcluster"
mkdir -p "$R/proc"; mount -t proc proc "$R/proc"   # the launcher resolves $ORIGIN (libjli.so) via /proc
chroot "$R" /opt/java/bin/java -Xshare:on -version 2>&1 | tail -1; umount "$R/proc" || true
# 4. one-layer image; optional docker-save tarball
tar --numeric-owner -C "$R" -c . | docker import \
  -c 'ENV PATH=/opt/java/bin:/usr/bin:/bin' -c 'ENV JAVA_HOME=/opt/java' -c 'ENV LANG=C.UTF-8' \
  -m "jlink $MODULES" - "$NAME" >/dev/null
if [ -n "${OUT_TAR:-}" ]; then docker save "$NAME" -o "$OUT_TAR"; fi
docker image ls "$NAME"
