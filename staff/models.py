"""The staff app keeps no tables of its own: axes and django-otp keep theirs."""
