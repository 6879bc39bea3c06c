{{ config(unique_key='order_id', **redshift_table(dist='order_id', backup=false)) }}

{%- set columns = [
    'order_id', 'customer_id', 'order_ts', 'order_status', 'channel', 'campaign_id',
    'shipping_amount', 'updated_at', 'source_dt',
] %}

with orders as (

    select * from {{ ref('stg_orders') }}

),

window_versions as (

    select
        {{ columns | join(',\n        ') }}
    from orders
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidates as (

    select * from window_versions
    {% if is_incremental_run() %}
    union all
    -- The state so far competes with the window's versions: the greatest updated_at wins,
    -- whichever arrived last, so partitions can be processed in any order.
    select
        {{ columns | join(',\n        ') }}
    from {{ this }}
    where order_id in (select order_id from window_versions)
    {% endif %}

),

latest as (

    {{ first_by('candidates', 'order_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        {{ columns | join(',\n        ') }}
    from latest

)

select * from final
