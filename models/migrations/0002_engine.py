from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("lianxi", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="County",
            name="supervised_from",
            field=fields.DateField(null=True),
        ),
    ]
