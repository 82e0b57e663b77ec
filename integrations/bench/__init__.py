"""The benchmark's pieces (`make bench`, `manage.py salesforce_bench`): the processes it starts
and its activity scenarios. Never imported by the product itself."""
