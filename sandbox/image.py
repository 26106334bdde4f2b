"""The sandbox image, made with or without a registry.

Without a registry (air-gapped labs, and this project's own machines) the image is imported
from a tar we write ourselves: a few folders, symlinks for a merged /usr and an /etc/passwd
with the sandbox user. The host's /usr and Python runtime are bind-mounted read-only at run
time (label ``mlgrade.runtime=host``). With a registry, ``sandbox/Dockerfile`` builds a
self-contained image (``mlgrade.runtime=image``).
"""

import io
import os
import tarfile

from mlgrade.core.errors import InfrastructureError
from mlgrade.sandbox.engine import engine_errors

DEFAULT_IMAGE = "mlgrade-sandbox:latest"
RUNTIME_LABEL = "mlgrade.runtime"
DOCKERFILE_DIR = os.path.dirname(os.path.abspath(__file__))


class ImageMissing(InfrastructureError):
    """The sandbox image is not on this engine."""


def get_image(client, name=DEFAULT_IMAGE):
    """The image, or ImageMissing with the command that makes it."""
    import docker

    with engine_errors(f"looking up the image {name}"):
        try:
            return client.images.get(name)
        except docker.errors.ImageNotFound:
            raise ImageMissing(
                f"the sandbox image {name} is not on this Docker engine; make it with "
                f"`mlgrade sandbox build` (no registry needed)"
            ) from None


def image_runtime(image):
    return (image.labels or {}).get(RUNTIME_LABEL, "image")


def build_host_image(client, name=DEFAULT_IMAGE):
    """Import the registry-free image; returns its id. Takes under a second."""
    repository, _, tag = name.partition(":")
    with engine_errors(f"importing the sandbox image {name}"):
        client.api.import_image_from_data(
            rootfs_tar(),
            repository=repository,
            tag=tag or "latest",
            changes=[f"LABEL {RUNTIME_LABEL}=host", "USER 65534:65534", "WORKDIR /tmp"],
        )
        return client.images.get(name).id


def build_dockerfile_image(client, name=DEFAULT_IMAGE):
    """Build ``sandbox/Dockerfile`` (needs a registry for its base image)."""
    with engine_errors(f"building {DOCKERFILE_DIR}/Dockerfile"):
        image, _ = client.images.build(
            path=DOCKERFILE_DIR, dockerfile="Dockerfile", tag=name, labels={RUNTIME_LABEL: "image"}, rm=True
        )
    return image.id


def rootfs_tar():
    """Bytes of a minimal root filesystem whose programs come from bind mounts."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for link, target in (("bin", "usr/bin"), ("lib", "usr/lib"), ("lib64", "usr/lib64"), ("sbin", "usr/sbin")):
            info = tarfile.TarInfo(link)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
        for folder in ("usr", "etc", "tmp", "proc", "sys", "dev", "mlgrade"):
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if folder == "tmp" else 0o755
            tar.addfile(info)
        for path, text in (
            ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nsandbox:x:65534:65534:sandbox:/tmp:/bin/sh\n"),
            ("etc/group", "root:x:0:\nsandbox:x:65534:\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()
