{{ config(
    unique_key='event_id',
    **redshift_table(dist='session_id', sort=['event_date_key'])
) }}

{%- set columns = [
    'event_id', 'session_id', 'customer_id', 'event_type', 'product_id', 'event_ts', 'device',
    'page_url', 'source_dt', 'source_file', 'source_line', 'ingested_at',
] %}

with web_events as (

    select * from {{ ref('stg_web_events') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

changed_customers as (

    {{ changed_since('stg_customers', 'customer_id', 'dim_customers') }}

),

changed_products as (

    {{ changed_since('stg_products', 'product_id', 'dim_products') }}

),

window_rows as (

    {{ select_window('web_events', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Events whose visitor or product got a version that may apply at event time (a first
    -- version, which is how a missing parent arrives: all of them).
    select
        {{ column_list(columns, 'existing') }}
    from {{ this }} as existing
    left join changed_customers
        on changed_customers.customer_id = existing.customer_id
    left join changed_products
        on changed_products.product_id = existing.product_id
    where existing.event_id in (select event_id from window_rows)
        or existing.event_ts >= changed_customers.changed_from
        or existing.event_ts >= changed_products.changed_from
    {% endif %}

),

deduplicated as (

    {{ first_by('candidates', 'event_id', 'source_dt') }}

),

final as (

    select
        deduplicated.event_id,
        deduplicated.session_id,
        {{ date_key('deduplicated.event_ts') }} as event_date_key,
        -- Anonymous visitors and events without a product keep a null key.
        {{ resolved_key('deduplicated.customer_id', 'customers.customer_key') }} as customer_key,
        {{ resolved_key('deduplicated.product_id', 'products.product_key') }} as product_key,
        deduplicated.event_type,
        deduplicated.device,
        deduplicated.page_url,
        deduplicated.customer_id,
        deduplicated.product_id,
        deduplicated.event_ts,
        deduplicated.source_dt,
        deduplicated.source_file,
        deduplicated.source_line,
        deduplicated.ingested_at
    from deduplicated
    left join customers
        on customers.customer_id = deduplicated.customer_id
        and {{ valid_at('customers', 'deduplicated.event_ts') }}
    left join products
        on products.product_id = deduplicated.product_id
        and {{ valid_at('products', 'deduplicated.event_ts') }}

)

select * from final
