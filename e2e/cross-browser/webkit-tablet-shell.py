#!/usr/bin/python3
"""A kiosk browser shell on WebKitGTK, for WebKitWebDriver: the tablet of the HTTPS flows.

MiniBrowser in automation mode (`--automation`, which WebKitWebDriver needs)
always uses an ephemeral website data manager: closing it loses the service
worker and IndexedDB, so it cannot be rebooted. This shell embeds the same
WebKitGTK library (python3-gi, gir1.2-webkit2-4.1) as a kiosk app does: one
window per web view, a persistent profile (`--profile`: website data and
caches, kept between launches), automation allowed. Nothing else: TLS errors
are never ignored, trust and name resolution are the system's
(glib-networking/GnuTLS, getaddrinfo), which the suite arranges in a private
mount namespace (webkit-tablet.ts).

  webkit-tablet-shell.py --profile <dir> [--feature <WebKit feature id>]...
  webkit-tablet-shell.py --check      prints the WebKitGTK version (are the bindings installed?)
"""
import argparse
import ctypes
import os
import signal
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

# WebDriver matches the session's browserName against this.
NAME = "pubcache-webkit-tablet"
VERSION = (WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile")
    parser.add_argument("--feature", action="append", default=[])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        print("%d.%d.%d" % VERSION)
        return
    if not args.profile:
        parser.error("--profile is required")

    # Never outlive WebKitWebDriver, however it ends.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:
        sys.exit("webkit-tablet-shell: the driver is gone")

    manager = WebKit2.WebsiteDataManager(
        base_data_directory=os.path.join(args.profile, "data"),
        base_cache_directory=os.path.join(args.profile, "cache"),
    )
    context = WebKit2.WebContext(website_data_manager=manager)
    context.set_automation_allowed(True)
    settings = features_on(WebKit2.Settings(), args.feature)
    windows = set()

    def new_view(*_):
        view = WebKit2.WebView(web_context=context, settings=settings, is_controlled_by_automation=True)
        window = Gtk.Window()
        window.set_default_size(1280, 800)
        window.add(view)
        windows.add(window)

        def closed(*_):
            windows.discard(window)
            window.destroy()
            if not windows:
                Gtk.main_quit()

        view.connect("close", closed)
        window.connect("delete-event", closed)
        window.show_all()
        return view

    def automation_started(_context, session):
        info = WebKit2.ApplicationInfo()
        info.set_name(NAME)
        info.set_version(*VERSION)
        session.set_application_info(info)
        session.connect("create-web-view", new_view)

    context.connect("automation-started", automation_started)
    Gtk.main()


def features_on(settings, wanted):
    """Switches on WebKit features by identifier, as MiniBrowser's --features=+Name does."""
    missing = set(wanted)
    features = WebKit2.Settings.get_all_features()
    for i in range(features.get_length()):
        feature = features.get(i)
        if feature.get_identifier() in missing:
            settings.set_feature_enabled(feature, True)
            missing.discard(feature.get_identifier())
    if missing:
        sys.exit("webkit-tablet-shell: unknown WebKit features: " + ", ".join(sorted(missing)))
    return settings


if __name__ == "__main__":
    main()
