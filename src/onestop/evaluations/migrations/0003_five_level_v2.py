"""Ship version 2 of the five-level questionnaire (adds the flow question)."""

from django.db import migrations


def load(apps, schema_editor):
    from onestop.evaluations.surveys import SHIPPED_FORMS

    SurveyForm = apps.get_model("evaluations", "SurveyForm")
    for data in SHIPPED_FORMS:
        SurveyForm.objects.get_or_create(
            code=data["code"],
            version=data["version"],
            defaults={
                "title": data["title"],
                "source": data["source"],
                "definition": data["definition"],
                "anonymous_to_provider": data["anonymous_to_provider"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_load_forms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
