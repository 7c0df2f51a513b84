"""deploy/systemd's units for reply by e-mail are ones systemd understands, and run the
command the portal has."""

import subprocess
import sys

from tests.servers import ROOT

UNITS = [
    "helpdesk-inbound-email.service",
    "helpdesk-inbound-email.timer",
    "helpdesk-inbound-email-watch.service",
]


def test_the_inbound_email_units_verify(tmp_path):
    (tmp_path / "helpdesk.env").write_text("")
    for name in UNITS:
        unit = (ROOT / "deploy" / "systemd" / name).read_text()
        assert "manage.py poll_inbound_email" in unit or name.endswith(".timer")
        unit = unit.replace("/srv/helpdesk/app/.venv/bin/python", sys.executable)
        unit = unit.replace("/srv/helpdesk/app", str(ROOT)).replace("/srv/helpdesk", str(tmp_path))
        unit = unit.replace("/etc/helpdesk/helpdesk.env", str(tmp_path / "helpdesk.env"))
        (tmp_path / name).write_text(unit)
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ignoring" not in output  # an unknown key
