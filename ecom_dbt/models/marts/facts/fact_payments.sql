{{ config(
    unique_key='payment_id',
    **redshift_table(dist='order_id', sort=['payment_date_key'])
) }}

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

window_versions as (

    select
        payment_id,
        order_id,
        payment_ts,
        payment_method,
        amount,
        payment_status,
        updated_at,
        source_dt
    from payments
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidates as (

    select * from window_versions
    {% if is_incremental_run() %}
    union all
    -- Current gold rows compete with the window's versions (greatest updated_at wins) and
    -- are re-resolved when their order changed, their customer got a version that may
    -- apply at payment time, or the customer is still unknown.
    select
        existing.payment_id,
        existing.order_id,
        existing.payment_ts,
        existing.payment_method,
        existing.amount,
        existing.payment_status,
        existing.updated_at,
        existing.source_dt
    from {{ this }} as existing
    left join changed_customers
        on changed_customers.customer_id = existing.customer_id
    where existing.payment_id in (select payment_id from window_versions)
        or existing.order_id in (select order_id from changed_orders)
        or existing.payment_ts >= changed_customers.changed_from
        or existing.customer_key = -1
    {% endif %}

),

latest as (

    {{ first_by('candidates', 'payment_id', 'updated_at desc, source_dt') }}

),

final as (

    select
        latest.payment_id,
        latest.order_id,
        {{ date_key('latest.payment_ts') }} as payment_date_key,
        -- The customer named by the order's latest version, as it was at payment time.
        coalesce(customers.customer_key, -1) as customer_key,
        coalesce(payment_methods.payment_method_key, -1) as payment_method_key,
        latest.payment_method,
        latest.payment_status,
        latest.amount,
        orders.customer_id,
        latest.payment_ts,
        latest.updated_at,
        latest.source_dt
    from latest
    left join orders
        on orders.order_id = latest.order_id
    left join customers
        on customers.customer_id = orders.customer_id
        and {{ valid_at('customers', 'latest.payment_ts') }}
    left join payment_methods
        on payment_methods.payment_method = latest.payment_method
        and payment_methods.payment_method_key <> -1

)

select * from final
