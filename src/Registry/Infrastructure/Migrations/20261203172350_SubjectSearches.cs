using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SubjectSearches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "subject_searches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    searched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    searched_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    identifier_kinds = table.Column<List<string>>(type: "text[]", nullable: false),
                    found = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subject_searches", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_subject_searches_searched_at",
                table: "subject_searches",
                column: "searched_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "subject_searches");
        }
    }
}
