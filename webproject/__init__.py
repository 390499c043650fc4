"""The fastpron web app: a Django project with the article_pronunciation and dictionary apps."""
