with source as (

    select * from {{ silver_source('customers') }}

),

renamed as (

    select
        customer_id,
        email,
        first_name,
        last_name,
        country_code,
        city,
        loyalty_tier,
        signup_ts,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
