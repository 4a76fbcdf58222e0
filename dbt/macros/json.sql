{#
  Cross-database JSON access. The warehouse stores Akeneo's JSON as DuckDB `JSON`
  and PostgreSQL `jsonb`; these macros hide the difference so models stay one
  file. `key` is a SQL expression: pass a quoted literal ("'labels'") or a column
  (e.g. a locale code) alike.
#}

{# A member of a JSON object as text, e.g. the label for a locale from `labels`. #}
{% macro json_get_text(expr, key) -%}
  {{ return(adapter.dispatch('json_get_text', 'akeneo_pipeline')(expr, key)) }}
{%- endmacro %}

{% macro default__json_get_text(expr, key) -%}
  ({{ expr }} ->> {{ key }})
{%- endmacro %}

{% macro duckdb__json_get_text(expr, key) -%}
  json_extract_string({{ expr }}, '$."' || {{ key }} || '"')
{%- endmacro %}


{# A JSON scalar (a simpleselect's option code, a number) as text. #}
{% macro json_scalar_text(expr) -%}
  {{ return(adapter.dispatch('json_scalar_text', 'akeneo_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__json_scalar_text(expr) -%}
  ({{ expr }} #>> '{}')
{%- endmacro %}

{% macro duckdb__json_scalar_text(expr) -%}
  json_extract_string({{ expr }}, '$')
{%- endmacro %}


{#
  The elements of a JSON array of strings (a multiselect's option codes), one row
  each; anything but an array gives no row. Set-returning: call it in the select
  list of a lateral subquery, `cross join lateral (select <macro>(v.data) as code) o`.
#}
{% macro json_array_elements_text(expr) -%}
  {{ return(adapter.dispatch('json_array_elements_text', 'akeneo_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__json_array_elements_text(expr) -%}
  jsonb_array_elements_text(case when jsonb_typeof({{ expr }}) = 'array' then {{ expr }} else '[]'::jsonb end)
{%- endmacro %}

{% macro duckdb__json_array_elements_text(expr) -%}
  unnest(case when json_type({{ expr }}) = 'ARRAY' then json_extract_string({{ expr }}, '$[*]') else []::varchar[] end)
{%- endmacro %}


{#
  The elements of a JSON array of objects (a table value's rows), one row each, as JSON; anything but an
  array gives no row. Set-returning, like json_array_elements_text.
#}
{% macro json_array_elements(expr) -%}
  {{ return(adapter.dispatch('json_array_elements', 'akeneo_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__json_array_elements(expr) -%}
  jsonb_array_elements(case when jsonb_typeof({{ expr }}) = 'array' then {{ expr }} else '[]'::jsonb end)
{%- endmacro %}

{% macro duckdb__json_array_elements(expr) -%}
  unnest(case when json_type({{ expr }}) = 'ARRAY' then json_extract({{ expr }}, '$[*]') else []::json[] end)
{%- endmacro %}
