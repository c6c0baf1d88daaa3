"""The baseline: a bare Flask app with one hello-world route, served the same way as ours."""

from flask import Flask

app = Flask(__name__)


@app.route("/hello")
def hello():
    return "Hello, world!"
