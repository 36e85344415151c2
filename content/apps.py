from django.apps import AppConfig


class ContentConfig(AppConfig):
    """The collaboration's content as data files, and the commands that load it.

    ``seed_empac`` loads the EMPAC content stated in the source documents;
    ``generate_demo_data`` makes demo content in bulk for benchmarks. This app sits above
    every content app it loads into.
    """

    name = "content"
    verbose_name = "Content loading"
