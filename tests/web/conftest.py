import pytest


@pytest.fixture(autouse=True)
def _fresh_user_dictionary_cache():
    """Each test's database starts over, so the process's Annotator must reload.

    The web app loads the user dictionary into fastpron's default Annotator
    (the one a preloading server shares between workers); other tests expect
    that one to have none, so it is emptied after each test.
    """
    import fastpron
    from webproject.dictionary import annotator
    annotator.forget()
    yield
    annotator.forget()
    fastpron.default_annotator().clear_user_dictionary()


@pytest.fixture
def article(db):
    from webproject.article_pronunciation.models import Article
    return Article.objects.create(text="我行路去銀行。\n\n台灣")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True,
                                                 is_superuser=True)
    client.force_login(user)
    return client
