from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest


@pytest.mark.django_db
def test_demo_admin_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("create_demo_admin")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_demo_admin_gets_a_random_password_printed_once(settings, capsys):
    settings.DEMO_MODE = True
    call_command("create_demo_admin")
    first = capsys.readouterr().out
    password = first.split("Passwort: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 12

    call_command("create_demo_admin")
    second = capsys.readouterr().out
    assert password not in second
    assert "changepassword" in second
