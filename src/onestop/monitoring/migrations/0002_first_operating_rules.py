"""The first version of the operating rules (LZ 6.5.2), from the standards'
text in onestop.monitoring.rules_defaults; administrators edit it later."""

from django.db import migrations


def create(apps, schema_editor):
    from onestop.monitoring.rules_defaults import DEFAULTS

    OperatingRules = apps.get_model("monitoring", "OperatingRules")
    if not OperatingRules.objects.exists():
        OperatingRules.objects.create(editor=None, **DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
