#!/usr/bin/env python3
"""Push the image tests' images into a local registry over plain HTTP (no network beyond it).

Usage: push_test_images.py http://127.0.0.1:PORT [user:pass]

Four images, every byte built here, so their digests never change (they equal the digests the
official CLI read from the same images: tests/fixtures/images/digests.json):
  test/docker-v2:1.0  Docker schema 2 manifest
  test/oci:1.0        OCI image manifest
  test/multi:1.0      OCI image index (linux/amd64 + linux/arm64 manifests)
  test/dlist:1.0      Docker manifest list (linux/amd64 + linux/arm64 manifests)
Prints {"<repo>:1.0": {"media_type", "digest", "children"?}} as JSON.
"""
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.request

REGISTRY = sys.argv[1].rstrip("/")
USERPASS = sys.argv[2] if len(sys.argv) > 2 else None

DOCKER = {
    "manifest": "application/vnd.docker.distribution.manifest.v2+json",
    "config": "application/vnd.docker.container.image.v1+json",
    "layer": "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "index": "application/vnd.docker.distribution.manifest.list.v2+json",
}
OCI = {
    "manifest": "application/vnd.oci.image.manifest.v1+json",
    "config": "application/vnd.oci.image.config.v1+json",
    "layer": "application/vnd.oci.image.layer.v1.tar+gzip",
    "index": "application/vnd.oci.image.index.v1+json",
}


def call(method, url, body=None, content_type=None):
    headers = {}
    if USERPASS:
        headers["Authorization"] = "Basic " + base64.b64encode(USERPASS.encode()).decode()
    if content_type:
        headers["Content-Type"] = content_type
    if not url.startswith("http"):
        url = REGISTRY + url
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload_blob(repo, data):
    digest = digest_of(data)
    if call("HEAD", f"/v2/{repo}/blobs/{digest}")[0] == 200:
        return digest
    status, headers, body = call("POST", f"/v2/{repo}/blobs/uploads/")
    if status != 202:
        sys.exit(f"starting an upload to {repo}: {status} {body!r}")
    location = headers["Location"]
    location = location if location.startswith("http") else REGISTRY + location
    joiner = "&" if "?" in location else "?"
    status, _, body = call("PUT", f"{location}{joiner}digest={digest}", data, "application/octet-stream")
    if status != 201:
        sys.exit(f"uploading a blob to {repo}: {status} {body!r}")
    return digest


def put_manifest(repo, reference, media_type, data):
    status, headers, body = call("PUT", f"/v2/{repo}/manifests/{reference}", data, media_type)
    if status != 201:
        sys.exit(f"putting {repo}:{reference}: {status} {body!r}")
    if headers.get("Docker-Content-Digest") != digest_of(data):
        sys.exit(f"{repo}:{reference}: the registry's digest differs from ours")
    return digest_of(data)


def single(repo, arch, types, tag):
    # The bytes matter: they fix the digests (sorted-key config, 3-space indented manifest).
    config = json.dumps({"architecture": arch, "os": "linux", "config": {"Cmd": ["/app"]},
                         "rootfs": {"type": "layers", "diff_ids": []}}, sort_keys=True).encode()
    layer = f"layer-for-{repo}-{arch}".encode()  # the registry does not look inside layers
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": types["manifest"],
        "config": {"mediaType": types["config"], "size": len(config), "digest": upload_blob(repo, config)},
        "layers": [{"mediaType": types["layer"], "size": len(layer), "digest": upload_blob(repo, layer)}],
    }, indent=3).encode()
    return put_manifest(repo, tag or digest_of(manifest), types["manifest"], manifest), len(manifest)


def multi(repo, types):
    children = []
    for arch in ("amd64", "arm64"):
        digest, size = single(repo, arch, types, None)
        children.append({"mediaType": types["manifest"], "size": size, "digest": digest,
                         "platform": {"architecture": arch, "os": "linux"}})
    index = json.dumps({"schemaVersion": 2, "mediaType": types["index"], "manifests": children},
                       indent=3).encode()
    return {"media_type": types["index"], "digest": put_manifest(repo, "1.0", types["index"], index),
            "children": {c["platform"]["architecture"]: c["digest"] for c in children}}


out = {
    "test/docker-v2:1.0": {"media_type": DOCKER["manifest"], "digest": single("test/docker-v2", "amd64", DOCKER, "1.0")[0]},
    "test/oci:1.0": {"media_type": OCI["manifest"], "digest": single("test/oci", "amd64", OCI, "1.0")[0]},
    "test/multi:1.0": multi("test/multi", OCI),
    "test/dlist:1.0": multi("test/dlist", DOCKER),
}
print(json.dumps(out, indent=1))
