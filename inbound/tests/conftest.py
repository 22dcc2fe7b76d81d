"""Real servers for the inbound paths: a Dovecot IMAP server of the test's own, and free ports."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.processes import free_port, process_stop

DOVECOT = Path("/usr/sbin/dovecot")
IMAP_USER, IMAP_PASSWORD = "redress", "imap-test-password"


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"The server exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"Nothing listened on port {port} within {timeout}s:\n{log.read_text(errors='replace')}")


def _dovecot_config(root: Path, port: int) -> str:
    # As root, mail is owned by Dovecot's own user; otherwise every process runs as the caller.
    if os.getuid() == 0:
        mail_user, extra = "dovecot", ""
        (root / "mail").mkdir()
        shutil.chown(root / "mail", "dovecot", "dovecot")
    else:
        mail_user = pwd.getpwuid(os.getuid()).pw_name
        extra = f"default_internal_user = {mail_user}\ndefault_login_user = {mail_user}\n"
        (root / "mail").mkdir()
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
{extra}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture
def imap_server():
    """A Dovecot IMAP server on a free loopback port, with one mailbox; yields its REDRESS_IMAP_URL."""
    if not DOVECOT.exists():
        pytest.fail("Dovecot is not installed: scripts/test installs it (apt-get install dovecot-imapd)")
    # Dovecot's own processes run as its user: they must reach the folder (pytest's is the caller's only).
    root = Path(tempfile.mkdtemp(prefix="redress-dovecot-"))
    root.chmod(0o755)
    port = free_port()
    (root / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
    (root / "dovecot.conf").write_text(_dovecot_config(root, port))
    log = root / "dovecot.log"
    log.touch()
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process, log)
        yield f"imap://{IMAP_USER}:{IMAP_PASSWORD}@127.0.0.1:{port}/INBOX"
    finally:
        process_stop(process, timeout=10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_client(imap_server):
    """A client of the test's own on the same mailbox, to append messages and look at the folders."""
    port = int(imap_server.rsplit(":", 1)[1].split("/")[0])
    with IMAPClient("127.0.0.1", port=port, ssl=False) as client:
        client.login(IMAP_USER, IMAP_PASSWORD)
        yield client


def folder_count(client: IMAPClient, folder: str) -> int:
    if not client.folder_exists(folder):
        return 0
    return int(client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])
