{{ config(
    unique_key='payment_id',
    **redshift_table(dist='order_id', sort=['payment_date_key'])
) }}

{%- set columns = [
    'payment_id', 'order_id', 'payment_ts', 'payment_method', 'amount', 'payment_status',
    'updated_at', 'source_dt', 'source_file', 'source_line', 'ingested_at',
] %}

with payments as (

    select * from {{ ref('stg_payments') }}

),

orders as (

    select * from {{ ref('int_orders_latest') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

payment_methods as (

    select * from {{ ref('dim_payment_methods') }}

),

changed_orders as (

    {{ window_keys('stg_orders', 'order_id') }}

),

changed_customers as (

    {{ changed_since('stg_customers', 'customer_id', 'dim_customers') }}

),

window_rows as (

    {{ select_window('payments', columns) }}

),

candidates as (

    select * from window_rows
    {% if is_incremental_run() %}
    union all
    -- Current gold rows compete with the window's versions (greatest updated_at wins) and
    -- are re-resolved when their order changed, their customer got a version that may
    -- apply at payment time (a first version, which is how a missing one arrives: all).
    select
        {{ column_list(columns, 'existing') }}
    from {{ this }} as existing
    left join changed_customers
        on changed_customers.customer_id = existing.customer_id
    where existing.payment_id in (select payment_id from window_rows)
        or existing.order_id in (select order_id from changed_orders)
        or existing.payment_ts >= changed_customers.changed_from
    {% endif %}

),

deduplicated as (

    -- The latest version (greatest updated_at) wins, whichever arrived last.
    {{ first_by('candidates', 'payment_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        deduplicated.payment_id,
        deduplicated.order_id,
        {{ date_key('deduplicated.payment_ts') }} as payment_date_key,
        -- The customer named by the order's latest version, as it was at payment time.
        coalesce(customers.customer_key, -1) as customer_key,
        coalesce(payment_methods.payment_method_key, -1) as payment_method_key,
        deduplicated.payment_method,
        deduplicated.payment_status,
        deduplicated.amount,
        orders.customer_id,
        deduplicated.payment_ts,
        deduplicated.updated_at,
        deduplicated.source_dt,
        -- Lineage of the version the row reflects (the latest).
        deduplicated.source_file,
        deduplicated.source_line,
        deduplicated.ingested_at
    from deduplicated
    left join orders
        on orders.order_id = deduplicated.order_id
    left join customers
        on customers.customer_id = orders.customer_id
        and {{ valid_at('customers', 'deduplicated.payment_ts') }}
    left join payment_methods
        on payment_methods.payment_method = deduplicated.payment_method
        and payment_methods.payment_method_key <> -1

)

select * from final
