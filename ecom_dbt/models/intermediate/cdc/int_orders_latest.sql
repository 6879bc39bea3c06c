{{ config(unique_key='order_id', **redshift_table(dist='order_id', backup=false)) }}

{%- set columns = [
    'order_id', 'customer_id', 'order_ts', 'order_status', 'channel', 'campaign_id',
    'shipping_amount', 'updated_at', 'source_dt', 'source_file', 'source_line', 'ingested_at',
] %}

with orders as (

    select * from {{ ref('stg_orders') }}

),

window_rows as (

    {{ select_window('orders', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- The state so far competes with the window's versions: the greatest updated_at wins,
    -- whichever arrived last, so partitions can be processed in any order.
    select
        {{ column_list(columns) }}
    from {{ this }}
    where order_id in (select order_id from window_rows)
    {% endif %}

),

deduplicated as (

    {{ first_by('candidates', 'order_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        {{ column_list(columns) }}
    from deduplicated

)

select * from final
