"""A local S3-compatible server for the media tests: moto's server mode (PyPI `moto[server]`),
its own process on a loopback port, speaking S3's HTTP protocol to boto3 as a bucket of an
Iranian cloud would. The `s3_server` fixture (tests/conftest.py) starts one per session."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import boto3
import requests

from tests.workers import free_port

ACCESS_KEY, SECRET_KEY, REGION = "mizban-test", "mizban-test-secret", "us-east-1"


class LocalS3:
    def __init__(self, log_dir: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = open(log_dir / f"moto-{self.port}.log", "w") if log_dir and log_dir.exists() else subprocess.DEVNULL
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/moto-api/", timeout=2)
                break
            except requests.RequestException:
                if self.process.poll() is not None:
                    raise RuntimeError("moto's server stopped at start-up")
                time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("moto's server did not answer in 60 s")

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION)

    def bucket_make(self, name: str) -> str:
        """A private bucket, as the Terraform makes it (no public ACL, no policy)."""
        self.client().create_bucket(Bucket=name, ACL="private")
        return name

    def storage_options(self, bucket: str) -> dict:
        """lib.storage.TenantS3Storage's OPTIONS for `bucket` on this server (as settings.py builds them)."""
        return {"bucket_name": bucket, "endpoint_url": self.url, "region_name": REGION, "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY, "addressing_style": "path", "signature_version": "s3v4", "querystring_expire": 60}

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
