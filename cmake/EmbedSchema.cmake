# Turns schema/NNNN_*.sql into a C++ source with the migrations as string literals,
# so the binary carries its own schema and a shipped migration cannot drift.
function(solace_embed_schema out_var)
  file(GLOB sql_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/schema/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/schema_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DSCHEMA_DIR=${PROJECT_SOURCE_DIR}/schema"
            -P "${PROJECT_SOURCE_DIR}/cmake/WriteSchema.cmake"
    DEPENDS ${sql_files} "${PROJECT_SOURCE_DIR}/cmake/WriteSchema.cmake"
    COMMENT "Embedding schema migrations")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# The agency server's PostgreSQL migrations (schema/server/NNNN_*.sql), the same way.
function(solace_embed_server_schema out_var)
  file(GLOB sql_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/schema/server/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/server_schema_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DSCHEMA_DIR=${PROJECT_SOURCE_DIR}/schema/server"
            -DNAMESPACE=solace::sync -DFUNCTION=server_migrations -DHEADER=sync/server_schema.hpp
            -P "${PROJECT_SOURCE_DIR}/cmake/WriteSchema.cmake"
    DEPENDS ${sql_files} "${PROJECT_SOURCE_DIR}/cmake/WriteSchema.cmake"
    COMMENT "Embedding agency server migrations")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
