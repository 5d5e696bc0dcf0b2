from sozialgraph.cli import app

app()
