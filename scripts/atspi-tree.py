#!/usr/bin/python3
"""Reads the running Foxtail window's accessible tree through AT-SPI, as a screen reader
would, and prints what the end-to-end tests check as JSON:

  {"app": ..., "pids": [...], "objects": N,
   "buttons": [{"name": ..., "role": ..., "showing": ...}],
                                                  every push (and toggle) button, with its name
   "live": [{"role": ..., "attributes": {...}, "text": ...}],
                                                  objects whose attributes say live:polite
                                                  (or container-live:polite), the outermost of each
   "dialogs": [{"role": ..., "name": ...}]}      dialogs and alerts showing now

Usage: /usr/bin/python3 scripts/atspi-tree.py [PID | NAME]   (default: NAME foxtail)
The system's Python: python3-pyatspi installs there, not into a pyenv or venv Python.

The application is found in the AT-SPI registry by its process id, or by its name. The
web page of a WebKitGTK window lives in a separate web process, a child of the app's
process, and may register as an application of its own: every application whose process
descends from the app's is read too.

Exits 2 with a message on stderr when pyatspi is missing, and 3 when the application is not
in the registry (yet: the caller may try again).
"""
import json
import sys
import time

try:
    import pyatspi
except ImportError:
    sys.stderr.write(
        "pyatspi is not installed: install python3-pyatspi (scripts/setup.sh test does)\n"
    )
    sys.exit(2)

MAX_OBJECTS = 50_000
MAX_SECONDS = 60


def parent_pid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command may hold spaces and parentheses: the fields follow the last ')'.
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def descends_from(pid, ancestor):
    seen = 0
    while pid and pid > 1 and seen < 64:
        if pid == ancestor:
            return True
        pid = parent_pid(pid)
        seen += 1
    return False


def attributes(obj):
    out = {}
    try:
        for item in obj.getAttributes() or []:
            key, _, value = item.partition(":")
            out[key] = value
    except Exception:
        pass
    return out


def text_of(obj):
    try:
        text = obj.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return None


def main():
    wanted = sys.argv[1] if len(sys.argv) > 1 else "foxtail"
    want_pid = int(wanted) if wanted.isdigit() else None
    desktop = pyatspi.Registry.getDesktop(0)
    apps = []
    for i in range(desktop.childCount):
        try:
            app = desktop.getChildAtIndex(i)
            if app is None:
                continue
            pid = app.get_process_id()
            name = app.name or ""
        except Exception:
            continue
        if want_pid is not None:
            if descends_from(pid, want_pid):
                apps.append((app, pid, name))
        elif name.lower() == wanted.lower():
            apps.append((app, pid, name))
    if not apps:
        sys.stderr.write(f"no application {wanted!r} in the AT-SPI registry\n")
        sys.exit(3)

    buttons, live, dialogs = [], [], []
    count = 0
    started = time.monotonic()
    stack = [(app, pid, False) for app, pid, _ in apps]
    while stack:
        obj, pid, in_live = stack.pop()
        if count >= MAX_OBJECTS or time.monotonic() - started > MAX_SECONDS:
            sys.stderr.write("the tree is too large to read whole\n")
            sys.exit(4)
        count += 1
        try:
            role = obj.getRole()
            role_name = obj.getRoleName()
            name = obj.name or ""
            states = obj.getState()
        except Exception:
            continue  # gone while the tree was read
        if states.contains(pyatspi.STATE_DEFUNCT):
            continue
        if role in (pyatspi.ROLE_PUSH_BUTTON, getattr(pyatspi, "ROLE_TOGGLE_BUTTON", -1)):
            buttons.append({"name": name, "role": role_name, "showing": states.contains(pyatspi.STATE_SHOWING)})
        attrs = attributes(obj)
        # The region says live:polite (WebKitGTK may say only container-live:polite on it);
        # what is inside it says container-live:polite as well.
        polite = attrs.get("live") == "polite" or attrs.get("container-live") == "polite"
        if polite and not in_live:
            live.append({"role": role_name, "attributes": attrs, "text": text_of(obj)})
        if role in (pyatspi.ROLE_DIALOG, getattr(pyatspi, "ROLE_ALERT", -1)) or attrs.get("xml-roles") in (
            "dialog",
            "alertdialog",
        ):
            dialogs.append({"role": role_name, "name": name, "xml-roles": attrs.get("xml-roles")})
        try:
            n = obj.childCount
        except Exception:
            n = 0
        for i in reversed(range(min(n, 5_000))):
            try:
                child = obj.getChildAtIndex(i)
            except Exception:
                continue
            if child is not None:
                stack.append((child, pid, polite or in_live))

    json.dump(
        {
            "app": apps[0][2],
            "pids": sorted({pid for _, pid, _ in apps}),
            "objects": count,
            "buttons": buttons,
            "live": live,
            "dialogs": dialogs,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
