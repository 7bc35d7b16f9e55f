# encoding: utf-8
"""package activity migration check

Revision ID: 23c92480926e
Revises: 3537d5420e0e
Create Date: 2019-05-09 13:39:17.486611

"""
from __future__ import print_function

# revision identifiers, used by Alembic.
revision = u'23c92480926e'
down_revision = u'3537d5420e0e'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
