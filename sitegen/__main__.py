try:
    from sitegen.cli import run
except KeyboardInterrupt:  # Ctrl-C while Python is still loading sitegen: stopped, no traceback
    raise SystemExit(130) from None

run()
