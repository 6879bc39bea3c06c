with customers as (

    select * from {{ ref('stg_customers') }}

),

versions as (

    -- One version per (customer_id, updated_at), whichever partitions repeated it.
    {{ first_by('customers', 'customer_id, updated_at', 'source_dt, source_file, source_line_number') }}

),

ranged as (

    select
        {{ surrogate_key(['customer_id', 'updated_at']) }} as customer_key,
        customer_id,
        email,
        first_name,
        last_name,
        country_code,
        city,
        loyalty_tier,
        signup_ts,
        {{ surrogate_key(['country_code', 'city']) }} as geography_key,
        updated_at as valid_from,
        lead(updated_at) over (partition by customer_id order by updated_at) as valid_to,
        row_number() over (partition by customer_id order by updated_at) as version_number
    from versions

),

final as (

    select
        *,
        case when valid_to is null then true else false end as is_current
    from ranged

)

select * from final
