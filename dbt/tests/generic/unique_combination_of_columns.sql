{#
  No row twice for the given columns, nulls counted as equal (GROUP BY semantics),
  written here because packages (dbt_utils) need the internet.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
