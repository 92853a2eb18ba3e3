from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lianxi', '0002_engine')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Unavailability',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('lianxi.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='unavailability', on_delete=OnDelete.CASCADE)),
                ('county', fields.ForeignKeyField('lianxi.County', source_field='county_id', db_constraint=True, to_field='id', related_name='unavailability', on_delete=OnDelete.CASCADE)),
                ('first_day', fields.DateField()),
                ('last_day', fields.DateField()),
                ('reason', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unavailability', 'app': 'lianxi', 'indexes': [Index(fields=['county_id', 'first_day']), Index(fields=['person_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitCase',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('visit', fields.ForeignKeyField('lianxi.MediationVisit', source_field='visit_id', db_constraint=True, to_field='id', related_name='case_links', on_delete=OnDelete.CASCADE)),
                ('case', fields.ForeignKeyField('lianxi.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='visit_links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'mediation_visit_case', 'app': 'lianxi', 'unique_together': (('visit', 'case'),), 'indexes': [Index(fields=['case_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitStaff',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('visit', fields.ForeignKeyField('lianxi.MediationVisit', source_field='visit_id', db_constraint=True, to_field='id', related_name='staff_links', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('lianxi.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='visit_links', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'mediation_visit_staff', 'app': 'lianxi', 'unique_together': (('visit', 'person'),), 'indexes': [Index(fields=['person_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Grid',
            name='retired_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='HouseholdGroup',
            name='retired_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='MediationVisit',
            name='outcome',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name='PartyGroup',
            name='retired_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Village',
            name='retired_on',
            field=fields.DateField(null=True),
        ),
    ]
