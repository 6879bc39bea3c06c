with web_events as (

    select * from {{ ref('fact_web_events') }}

),

sessions as (

    -- A session counts on the day it started, once per funnel step it reached.
    select
        session_id,
        min(event_date_key) as session_date_key,
        max(case when event_type = 'product_view' then 1 else 0 end) as viewed_product,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) as added_to_cart,
        max(case when event_type = 'checkout_start' then 1 else 0 end) as started_checkout,
        max(case when event_type = 'purchase' then 1 else 0 end) as purchased
    from web_events
    group by session_id

),

final as (

    select
        session_date_key as date_key,
        count(*) as sessions,
        sum(viewed_product) as product_view_sessions,
        sum(added_to_cart) as add_to_cart_sessions,
        sum(started_checkout) as checkout_sessions,
        sum(purchased) as purchase_sessions,
        cast(cast(sum(purchased) as decimal(18, 4)) / count(*) as decimal(18, 4))
            as conversion_rate
    from sessions
    group by session_date_key

)

select * from final
