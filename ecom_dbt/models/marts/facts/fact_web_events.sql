{{ config(
    unique_key='event_id',
    **redshift_table(dist='session_id', sort=['event_date_key'])
) }}

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

window_events as (

    select
        event_id,
        session_id,
        customer_id,
        event_type,
        product_id,
        event_ts,
        device,
        page_url,
        source_dt
    from web_events
    {% if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {% endif %}

),

candidate_events as (

    select * from window_events
    {% if is_incremental_run() %}
    union all
    -- Events whose visitor or product got a version that may apply at event time, or is
    -- still unknown.
    select
        existing.event_id,
        existing.session_id,
        existing.customer_id,
        existing.event_type,
        existing.product_id,
        existing.event_ts,
        existing.device,
        existing.page_url,
        existing.source_dt
    from {{ this }} as existing
    left join changed_customers
        on changed_customers.customer_id = existing.customer_id
    left join changed_products
        on changed_products.product_id = existing.product_id
    where existing.event_id in (select event_id from window_events)
        or existing.event_ts >= changed_customers.changed_from
        or existing.event_ts >= changed_products.changed_from
        or existing.customer_key = -1
        or existing.product_key = -1
    {% endif %}

),

events as (

    {{ first_by('candidate_events', 'event_id', 'source_dt') }}

),

final as (

    select
        events.event_id,
        events.session_id,
        {{ date_key('events.event_ts') }} as event_date_key,
        -- Anonymous visitors and events without a product keep a null key.
        {{ resolved_key('events.customer_id', 'customers.customer_key') }} as customer_key,
        {{ resolved_key('events.product_id', 'products.product_key') }} as product_key,
        events.event_type,
        events.device,
        events.page_url,
        events.customer_id,
        events.product_id,
        events.event_ts,
        events.source_dt
    from events
    left join customers
        on customers.customer_id = events.customer_id
        and {{ valid_at('customers', 'events.event_ts') }}
    left join products
        on products.product_id = events.product_id
        and {{ valid_at('products', 'events.event_ts') }}

)

select * from final
