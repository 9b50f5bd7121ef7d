using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class LookupKeyRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "customer_number_encrypted",
                table: "subject_aliases",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "retired_lookup_hashes",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retired_lookup_hashes", x => new { x.key_id, x.hash, x.subject_id });
                    table.ForeignKey(
                        name: "fk_retired_lookup_hashes_subjects_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_retired_lookup_hashes_subject_id",
                table: "retired_lookup_hashes",
                column: "subject_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "retired_lookup_hashes");

            migrationBuilder.DropColumn(
                name: "customer_number_encrypted",
                table: "subject_aliases");
        }
    }
}
